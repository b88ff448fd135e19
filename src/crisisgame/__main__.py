"""`python -m crisisgame` is the same as the `crisisgame` command."""

import sys

from crisisgame.cli import main

sys.exit(main())
