// Upload a scenario file from the console: the server checks it with the same loader as
// `crisisgame validate` and keeps it if valid; every error is shown beside the lines it names.

import { h, replace, field, toast } from '../dom.js';

/** Largest file the server accepts (crisisgame.scenario.library.UPLOAD_MAX_BYTES). */
const MAX_BYTES = 256 * 1024;
/** Lines of the file shown around each error. */
const CONTEXT = 2;

/** The lines around one error, numbered, with a caret under its column. */
function excerpt(lines, error) {
  const first = Math.max(1, error.line - CONTEXT);
  const last = Math.min(lines.length, error.line + CONTEXT);
  const rows = [];
  for (let n = first; n <= last; n += 1) {
    const at = n === error.line;
    rows.push(h('span', { class: at ? 'src-line src-error' : 'src-line' }, h('span', { class: 'src-no', 'aria-hidden': 'true' }, String(n).padStart(4)), ` ${lines[n - 1] ?? ''}\n`));
    if (at) rows.push(h('span', { class: 'src-caret', 'aria-hidden': 'true' }, `${' '.repeat(4 + error.column)}^\n`));
  }
  return h('pre', { class: 'src-excerpt' }, rows);
}

function errorList(name, text, errors) {
  const lines = text.split(/\r?\n/);
  const noun = errors.length === 1 ? 'error' : 'errors';
  return h(
    'div',
    { class: 'upload-errors' },
    h('p', { class: 'form-error', role: 'alert' }, `${name}: ${errors.length} ${noun}. Fix them in your editor and upload the file again.`),
    h(
      'ol',
      {},
      errors.map((e) =>
        h(
          'li',
          { class: 'upload-error' },
          h('p', {}, h('strong', { class: 'where' }, `Line ${e.line}, column ${e.column}:`), ` ${e.message}`),
          e.hint ? h('p', { class: 'hint' }, `Hint: ${e.hint}`) : null,
          excerpt(lines, e),
        ),
      ),
    ),
  );
}

/**
 * A form to upload a scenario file. `onUploaded(scenario)` is called with the catalogue entry of a
 * file the server accepted.
 */
export function scenarioUpload(link, onUploaded) {
  const file = h('input', { type: 'file', id: 'scenario-file', accept: '.yaml,.yml,text/yaml' });
  const result = h('div', { class: 'upload-result', 'aria-live': 'polite' });
  const send = h('button', { type: 'button' }, 'Upload and check');
  send.addEventListener('click', async () => {
    replace(result);
    const chosen = file.files?.[0];
    if (!chosen) {
      replace(result, h('p', { class: 'form-error', role: 'alert' }, 'Choose a scenario file (.yaml) first.'));
      return;
    }
    if (chosen.size > MAX_BYTES) {
      replace(result, h('p', { class: 'form-error', role: 'alert' }, `${chosen.name} is ${Math.ceil(chosen.size / 1024)} KiB; a scenario may be ${MAX_BYTES / 1024} KiB at most.`));
      return;
    }
    send.disabled = true;
    try {
      const text = await chosen.text();
      const data = await link.request({ type: 'upload_scenario', text, name: chosen.name });
      if (data.errors.length) {
        replace(result, errorList(chosen.name, text, data.errors));
        return;
      }
      const sc = data.scenario;
      replace(result, h('p', { class: 'upload-ok', role: 'status' }, `${chosen.name} is valid: “${sc.title}” (${sc.id}) is in the list of scenarios.`));
      toast(`Scenario ${sc.id} uploaded`);
      onUploaded(sc);
    } catch (err) {
      replace(result, h('p', { class: 'form-error', role: 'alert' }, err.message));
    } finally {
      send.disabled = false;
    }
  });
  return h(
    'details',
    { class: 'scenario-upload' },
    h('summary', {}, 'Upload a scenario of your own'),
    h('p', { class: 'small' }, 'A YAML scenario file (docs/authoring.md tells how to write one). The server checks it as crisisgame validate does; a valid file joins the list of scenarios above, under its id. Uploading a file with the same id again replaces it.'),
    field('Scenario file', file, `At most ${MAX_BYTES / 1024} KiB.`),
    h('div', { class: 'actions' }, send),
    result,
  );
}
