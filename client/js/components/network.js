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
export function networkPanel({ title = 'Alliance network', large = false, caption = true, table: withTable = true } = {}) {
  const box = h('div', { class: `network${large ? ' network-large' : ''}`, role: 'img', 'aria-label': title });
  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' });
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
    if (!positions || Object.keys(positions).length !== actors.length) positions = layout(actors);
    const maxCinc = Math.max(0.0001, ...actors.map((a) => a.cinc || 0));
    const nodes = actors.map((a) => ({
      group: 'nodes',
      data: {
        id: a.id,
        label: a.name,
        size: Math.round((large ? 34 : 24) + Math.sqrt((a.cinc || 0) / maxCinc) * (large ? 46 : 34)),
        font: large ? 22 : 13,
      },
      position: { ...positions[a.id] },
      classes: [a.team ? 'team' : 'bot', a.kind && a.kind !== 'state' ? 'org' : '', a.id === me ? 'me' : '']
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
            colour: AGREEMENT_COLOURS[ag.type] || '#555',
            width: Math.max(2, Math.round(2 + (ag.strength || 0.5) * (large ? 8 : 5))),
          },
          classes: [directed ? 'directed' : '', ag.public === false ? 'secret' : ''].filter(Boolean).join(' '),
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
      replace(
        legend,
        types.map((t) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${AGREEMENT_COLOURS[t] || '#555'}` }), label(t))),
        wars.length ? h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: 'background:#c0001a' }), 'War') : null,
        threats.length ? h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-dotted' }), 'Threat you perceive') : null,
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-dashed' }), 'Secret agreement'),
      );
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
    cy.fit(undefined, large ? 60 : 36);
    // Keep labels legible whatever the zoom: the font is set in screen pixels.
    const z = cy.zoom() || 1;
    const px = large ? 26 : 14;
    cy.batch(() => {
      cy.nodes().forEach((n) => n.data('font', Math.round(px / z)));
      cy.edges('.threat').forEach((e) => e.data('font', Math.round((px - 2) / z)));
    });
  };

  return { el, update, fit };
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
