// QR codes of join URLs (qrcode-generator), drawn as one SVG path with a text alternative.

import qrcode from '../../vendor/qrcode-generator/qrcode.mjs';
import { s } from '../dom.js';

/** An <svg role="img"> QR code of `text`, `size` pixels wide, labelled `label`. */
export function qrSvg(text, { size = 160, label = `QR code for ${text}` } = {}) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const margin = 4;
  let d = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      if (qr.isDark(r, c)) d += `M${c + margin} ${r + margin}h1v1h-1z`;
    }
  }
  const total = n + margin * 2;
  return s(
    'svg',
    {
      viewBox: `0 0 ${total} ${total}`,
      width: String(size),
      height: String(size),
      role: 'img',
      'aria-label': label,
      class: 'qr',
      'shape-rendering': 'crispEdges',
    },
    s('rect', { width: String(total), height: String(total), fill: '#ffffff' }),
    s('path', { d, fill: '#000000' }),
  );
}
