// The alliance network on a map: actors at their coordinates, agreements as lines, wars in red,
// and (for a team) the threats it perceives. Drawn with cytoscape; a table gives the same facts
// to keyboards and screen readers.

import cytoscape from '../../vendor/cytoscape/cytoscape.esm.min.mjs';
import { h, replace } from '../dom.js';
import { AGREEMENT_COLOURS, label, num, words } from '../format.js';

/** Actor positions on a plane: an equirectangular projection, spread so labels do not collide. */
function layout(actors, width = 800, height = 520) {
  if (!actors.length) return {};
  const lats = actors.map((a) => a.position.lat);
  const mid = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((mid * Math.PI) / 180);
  const raw = actors.map((a) => ({ id: a.id, x: a.position.lon * k, y: -a.position.lat }));
  const xs = raw.map((p) => p.x);
  const ys = raw.map((p) => p.y);
  const spanX = Math.max(...xs) - Math.min(...xs) || 1;
  const spanY = Math.max(...ys) - Math.min(...ys) || 1;
  const scale = Math.min(width / spanX, height / spanY);
  const pts = raw.map((p) => ({
    id: p.id,
    x: (p.x - Math.min(...xs)) * scale,
    y: (p.y - Math.min(...ys)) * scale,
  }));
  // Push apart nodes closer than `gap` (a few rounds of pairwise repulsion).
  const gap = 95;
  for (let round = 0; round < 60; round += 1) {
    let moved = false;
    for (let i = 0; i < pts.length; i += 1) {
      for (let j = i + 1; j < pts.length; j += 1) {
        const dx = pts[j].x - pts[i].x;
        const dy = pts[j].y - pts[i].y;
        const d = Math.hypot(dx, dy);
        if (d < gap) {
          const push = (gap - d) / 2;
          const ux = d > 0.01 ? dx / d : Math.cos(i + j);
          const uy = d > 0.01 ? dy / d : Math.sin(i + j);
          pts[i].x -= ux * push;
          pts[i].y -= uy * push;
          pts[j].x += ux * push;
          pts[j].y += uy * push;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return Object.fromEntries(pts.map((p) => [p.id, { x: p.x, y: p.y }]));
}

/** Actors on a circle (the report's layout): no two nodes near each other, labels pointing outwards. */
function circleLayout(actors, radius = 300) {
  const n = actors.length || 1;
  return Object.fromEntries(
    actors.map((a, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [a.id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle), angle }];
    }),
  );
}

/** Where a node's label goes on the circle: outside, on the side it faces. */
function labelSide(angle) {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  if (Math.abs(c) < 0.35) return s < 0 ? 'lbl-top' : 'lbl-bottom';
  return c > 0 ? 'lbl-right' : 'lbl-left';
}

/** A short label a projector can show: the name without its parenthesis or comma, else the id. */
export function shortLabel(actor, max = 14) {
  const name = String(actor.name ?? actor.id).split(/\s*[(,]/)[0].trim();
  return name.length <= max ? name : actor.id;
}

/** Pairs an agreement links: guarantor -> protected party, or every pair of parties. */
function agreementPairs(ag) {
  const pairs = [];
  if (ag.guarantors && ag.guarantors.length && ag.guarantors.length < ag.parties.length) {
    for (const g of ag.guarantors) for (const p of ag.parties) if (p !== g) pairs.push([g, p, true]);
  } else {
    for (let i = 0; i < ag.parties.length; i += 1) {
      for (let j = i + 1; j < ag.parties.length; j += 1) pairs.push([ag.parties[i], ag.parties[j], false]);
    }
  }
  return pairs;
}

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'background-color': '#8a94a6',
      width: 'data(size)',
      height: 'data(size)',
      'font-size': 'data(font)',
      'font-family': 'system-ui, sans-serif',
      'font-weight': 600,
      color: '#10151f',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': 2,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.team', style: { 'background-color': '#1f5fae' } },
  { selector: 'node.org', style: { shape: 'round-rectangle' } },
  { selector: 'node.me', style: { 'border-width': 5, 'border-color': '#e07a00' } },
  { selector: 'node.lbl-top', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
  { selector: 'node.lbl-bottom', style: { 'text-valign': 'bottom', 'text-margin-y': 4 } },
  { selector: 'node.lbl-left', style: { 'text-valign': 'center', 'text-halign': 'left', 'text-margin-x': -6, 'text-margin-y': 0 } },
  { selector: 'node.lbl-right', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 6, 'text-margin-y': 0 } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'line-color': 'data(colour)',
      'target-arrow-color': 'data(colour)',
      'curve-style': 'bezier',
      opacity: 0.9,
    },
  },
  { selector: 'edge.directed', style: { 'target-arrow-shape': 'triangle' } },
  { selector: 'edge.secret', style: { 'line-style': 'dashed' } },
  { selector: 'edge.new', style: { 'underlay-color': '#ffb000', 'underlay-opacity': 0.55, 'underlay-padding': 5 } },
  { selector: 'edge.hidden-type', style: { display: 'none' } },
  {
    selector: 'edge.war',
    style: { 'line-color': '#c0001a', width: 7, 'line-style': 'solid', label: 'war', 'font-size': 12, color: '#c0001a' },
  },
  {
    selector: 'edge.threat',
    style: {
      'line-color': '#c0392b',
      'target-arrow-color': '#c0392b',
      'target-arrow-shape': 'vee',
      'line-style': 'dotted',
      label: 'data(label)',
      'font-size': 'data(font)',
      color: '#8b1a10',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
    },
  },
];

/**
 * Build a network panel. `snapshot()` returns {actors, agreements, wars, threats, me} to draw:
 * agreements as in the view, wars as 'A|B' keys, threats as [[from, to, value], ...].
 */
export function networkPanel({
  title = 'Alliance network',
  large = false,
  caption = true,
  table: withTable = true,
  circle = false,
  filter = false,
} = {}) {
  const box = h('div', { class: `network${large ? ' network-large' : ''}`, role: 'img', 'aria-label': title });
  const legend = h('div', filter ? { class: 'legend legend-filter', role: 'group', 'aria-label': 'Show agreements of type' } : { class: 'legend', 'aria-hidden': 'true' });
  const hiddenTypes = new Set();
  let previousEdges = null;
  let lastLegend = '';
  let newEdges = new Set();
  const table = h('div', { class: 'network-table' });
  // Touch (or click) an actor to read its ties under the map: the map itself neither pans nor zooms,
  // so a finger on it still scrolls the page.
  const focus = h('p', { class: 'network-focus', role: 'status' }, 'Tap an actor to see its agreements.');
  const el = h('div', { class: 'network-panel' }, box, focus, caption ? legend : null, caption && withTable ? table : null);
  let cy = null;
  let positions = null;
  let lastKey = '';
  let lastSnap = null;

  const describe = (id) => {
    const { actors = [], agreements = [], wars = [], threats = [] } = lastSnap || {};
    const nameOf = (x) => actors.find((a) => a.id === x)?.name ?? x;
    const ties = agreements
      .filter((ag) => ag.active !== false && ag.parties.includes(id))
      .map((ag) => `${words(ag.type)} with ${ag.parties.filter((p) => p !== id).map(nameOf).join(', ')}`);
    const enemies = wars.filter((w) => w.split('|').includes(id)).map((w) => nameOf(w.split('|').find((x) => x !== id)));
    const felt = threats.filter(([, to]) => to === id).map(([, , value]) => `you perceive a threat of ${num(value)}`);
    const parts = [ties.length ? ties.join('; ') : 'no agreement in force', ...(enemies.length ? [`at war with ${enemies.join(', ')}`] : []), ...felt];
    focus.textContent = `${nameOf(id)}: ${parts.join('; ')}.`;
  };

  const ensure = () => {
    if (cy) return cy;
    cy = cytoscape({
      container: box,
      style: STYLE,
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      autounselectify: true,
    });
    cy.on('tap', 'node', (ev) => describe(ev.target.id()));
    return cy;
  };

  const update = (snap) => {
    const { actors = [], agreements = [], wars = [], threats = [], me = null } = snap;
    lastSnap = snap;
    if (!positions || Object.keys(positions).length !== actors.length) positions = circle ? circleLayout(actors) : layout(actors);
    const maxCinc = Math.max(0.0001, ...actors.map((a) => a.cinc || 0));
    const narrow = box.offsetWidth > 0 && box.offsetWidth < 600; // a phone: the ids, which the table spells out
    const nodes = actors.map((a) => ({
      group: 'nodes',
      data: {
        id: a.id,
        label: circle ? (narrow ? a.id : shortLabel(a)) : a.name,
        size: Math.round((large ? 34 : 24) + Math.sqrt((a.cinc || 0) / maxCinc) * (large ? 46 : 34)),
        font: large ? 22 : 13,
      },
      position: { x: positions[a.id].x, y: positions[a.id].y },
      classes: [a.team ? 'team' : 'bot', a.kind && a.kind !== 'state' ? 'org' : '', a.id === me ? 'me' : '', circle ? labelSide(positions[a.id].angle) : '']
        .filter(Boolean)
        .join(' '),
    }));
    const ids = new Set(actors.map((a) => a.id));
    const edges = [];
    for (const ag of agreements) {
      if (ag.active === false) continue;
      for (const [a, b, directed] of agreementPairs(ag)) {
        if (!ids.has(a) || !ids.has(b)) continue;
        edges.push({
          group: 'edges',
          data: {
            id: `${ag.id}:${a}:${b}`,
            source: a,
            target: b,
            type: ag.type,
            colour: AGREEMENT_COLOURS[ag.type] || '#555',
            width: Math.max(2, Math.round(2 + (ag.strength || 0.5) * (large ? 8 : 5))),
          },
          classes: [directed ? 'directed' : '', ag.public === false ? 'secret' : '', hiddenTypes.has(ag.type) ? 'hidden-type' : ''].filter(Boolean).join(' '),
        });
      }
    }
    for (const key of wars) {
      const [a, b] = key.split('|');
      if (ids.has(a) && ids.has(b)) edges.push({ group: 'edges', data: { id: `war:${key}`, source: a, target: b }, classes: 'war' });
    }
    for (const [a, b, value] of threats) {
      if (ids.has(a) && ids.has(b)) {
        edges.push({
          group: 'edges',
          data: { id: `threat:${a}:${b}`, source: a, target: b, label: `threat ${num(value)}`, colour: '#c0392b', width: 2, font: 12 },
          classes: 'threat',
        });
      }
    }
    // Changes since the last picture (a new turn's agreements and wars) are highlighted until the next change.
    const edgeIds = new Set(edges.filter((e) => !e.classes.includes('threat')).map((e) => e.data.id));
    if (previousEdges && [...edgeIds].some((id) => !previousEdges.has(id))) newEdges = new Set([...edgeIds].filter((id) => !previousEdges.has(id)));
    if (!previousEdges || [...edgeIds].some((id) => !previousEdges.has(id)) || previousEdges.size !== edgeIds.size) previousEdges = edgeIds;
    for (const e of edges) if (newEdges.has(e.data.id)) e.classes = `${e.classes} new`.trim();
    const key = JSON.stringify([nodes.map((n) => [n.data.id, n.data.size, n.classes]), edges.map((e) => [e.data.id, e.data.width, e.classes])]);
    if (key !== lastKey) {
      lastKey = key;
      const c = ensure();
      c.elements().remove();
      c.add([...nodes, ...edges]);
      fit();
    }
    // The same facts as text.
    const lines = agreements.filter((ag) => ag.active !== false);
    box.setAttribute(
      'aria-label',
      `${title}: ${actors.length} actors; ${lines.length} agreements in force${wars.length ? `; ${wars.length} wars` : ''}. ${
        withTable ? 'The table below lists them.' : lines.map((ag) => `${words(ag.type)} of ${ag.parties.map((p) => actors.find((a) => a.id === p)?.name ?? p).join(', ')}`).join('; ')
      }`,
    );
    if (caption) {
      const types = [...new Set(lines.map((ag) => ag.type))];
      const item = (t) => {
        const content = [h('span', { class: 'swatch', style: `background:${AGREEMENT_COLOURS[t] || '#555'}` }), label(t)];
        if (!filter) return h('span', { class: 'legend-item' }, ...content);
        const b = h('button', { type: 'button', class: 'legend-item legend-toggle', 'aria-pressed': hiddenTypes.has(t) ? 'false' : 'true', dataset: { type: t } }, ...content);
        b.addEventListener('click', () => {
          if (hiddenTypes.has(t)) hiddenTypes.delete(t);
          else hiddenTypes.add(t);
          lastKey = '';
          update(snap);
        });
        return b;
      };
      const legendKey = JSON.stringify([types, wars.length > 0, threats.length > 0, [...hiddenTypes]]);
      if (legendKey !== lastLegend) {
        lastLegend = legendKey; // rebuilt only when it changes, so a toggle is not replaced under the pointer
        replace(
        legend,
        types.map(item),
        wars.length ? h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: 'background:#c0001a' }), 'War') : null,
        threats.length ? h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-dotted' }), 'Threat you perceive') : null,
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-dashed' }), 'Secret agreement'),
        );
      }
      const nameOf = (id) => actors.find((a) => a.id === id)?.name ?? id;
      replace(
        table,
        lines.length
          ? h(
              'div',
              { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${title}: agreements` },
              h(
                'table',
                {},
                h('caption', {}, 'Agreements in force'),
                h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Agreement'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Parties'), h('th', { scope: 'col' }, 'Strength'), h('th', { scope: 'col' }, 'Ambiguity'), h('th', { scope: 'col' }, 'Since turn'))),
                h(
                  'tbody',
                  {},
                  lines.map((ag) =>
                    h(
                      'tr',
                      {},
                      h('th', { scope: 'row' }, ag.name, ag.public === false ? ' (secret)' : ''),
                      h('td', {}, words(ag.type)),
                      h('td', {}, ag.parties.map(nameOf).join(', '), ag.guarantors?.length ? ` (guarantor: ${ag.guarantors.map(nameOf).join(', ')})` : ''),
                      h('td', {}, num(ag.strength)),
                      h('td', {}, num(ag.ambiguity)),
                      h('td', {}, ag.since_turn ? String(ag.since_turn) : 'at start'),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, 'No agreements in force.'),
        wars.length ? h('p', { class: 'wars' }, `At war: ${wars.map((w) => w.split('|').map(nameOf).join(' and ')).join('; ')}.`) : null,
      );
    }
  };

  const fit = () => {
    if (!cy || !box.offsetWidth) return;
    cy.resize();
    // Keep labels legible whatever the zoom: the font is set in screen pixels. Fit twice, so the
    // second fit makes room for labels drawn at the size the first one chose.
    const narrow = box.offsetWidth < 600;
    const px = large && !narrow ? 26 : 14;
    let z = 1;
    for (let pass = 0; pass < 2; pass += 1) {
      cy.fit(undefined, narrow ? 16 : large ? 60 : 36);
      z = cy.zoom() || 1;
      cy.batch(() => {
        cy.nodes().forEach((n) => n.data('font', Math.round(px / z)));
        cy.edges('.threat').forEach((e) => e.data('font', Math.round((px - 2) / z)));
      });
    }
    if (circle) {
      // Shrink the labels (down to a floor) until no two rendered labels overlap.
      for (let size = px; size > 10 && labelsOverlap(cy); size -= 2) {
        cy.batch(() => cy.nodes().forEach((n) => n.data('font', Math.round((size - 2) / z))));
      }
    }
  };
  // For tests and tools: where the labels were drawn, and how many agreement lines are shown.
  box.network = { labels: () => (cy ? labelBoxes(cy) : []), visibleEdges: () => (cy ? cy.edges(':visible').length : 0) };

  return { el, update, fit };
}

/** The rendered boxes of the node labels (screen pixels), with the label text. */
function labelBoxes(cy) {
  return cy.nodes().map((n) => {
    const b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
    return { label: n.data('label'), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
  });
}

function labelsOverlap(cy) {
  const boxes = labelBoxes(cy);
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) return true;
    }
  }
  return false;
}

/** What a live view shows in the network: agreements, wars and (for a team) its threats. */
export function liveSnapshot(model, { threats = true, minThreat = 0.3 } = {}) {
  const v = model.view;
  if (!v) return { actors: [] };
  const me = v.me?.id ?? null;
  const threatEdges = [];
  if (threats && v.me) {
    for (const [other, value] of Object.entries(v.me.threat || {})) if (value >= minThreat) threatEdges.push([me, other, value]);
  }
  const agreements = model.seat === 'observer' ? v.agreements.filter((a) => a.public) : v.agreements;
  return { actors: v.actors, agreements, wars: v.wars || [], threats: threatEdges, me };
}
