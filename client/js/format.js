// How numbers, ids and citations read on screen.

/** 'defence_pact' -> 'defence pact' */
export function words(id) {
  return String(id ?? '').replaceAll('_', ' ');
}

/** 'defence_pact' -> 'Defence pact' */
export function label(id) {
  const w = words(id);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export function num(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return Number(x).toFixed(digits);
}

export function pct(x, digits = 0) {
  if (x === null || x === undefined) return '–';
  return `${(Number(x) * 100).toFixed(digits)}%`;
}

/** A large number with a thousands separator. */
export function big(x, digits = 0) {
  if (x === null || x === undefined) return '–';
  return Number(x).toLocaleString('en-GB', { maximumFractionDigits: digits });
}

/** mm:ss (or h:mm:ss) for a number of seconds. */
export function clock(seconds) {
  if (seconds === null || seconds === undefined) return '–:––';
  const t = Math.max(0, Math.ceil(seconds));
  const hh = Math.floor(t / 3600);
  const mm = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Seconds as words for screen readers: '4 minutes 5 seconds'. */
export function spoken(seconds) {
  if (seconds === null || seconds === undefined) return 'no time limit';
  const t = Math.max(0, Math.ceil(seconds));
  const m = Math.floor(t / 60);
  const s = t % 60;
  const parts = [];
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s || !m) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** The Correlates of War components as the engine keeps them (COW units), for people. */
export const CAPABILITIES = [
  ['milex', 'Military expenditure', (v) => `$${big(v / 1e6, 1)} bn`],
  ['milper', 'Military personnel', (v) => `${big(v)} thousand`],
  ['irst', 'Iron and steel', (v) => `${big(v / 1000, 1)} Mt`],
  ['pec', 'Primary energy', (v) => `${big(v / 1000, 1)} Mt coal eq.`],
  ['tpop', 'Total population', (v) => `${big(v / 1000, 1)} million`],
  ['upop', 'Urban population', (v) => `${big(v / 1000, 1)} million`],
  ['gdp_usd_bn', 'GDP', (v) => `$${big(v)} bn`],
];

export function capability(key, value) {
  const row = CAPABILITIES.find((c) => c[0] === key);
  if (value === null || value === undefined) return 'not reported';
  return row ? row[2](value) : big(value, 2);
}

/** The adjudication pipeline (docs/rules.md): step number -> name (0 = injects and events outside adjudication). */
export const STEPS = {
  0: 'Events and injects',
  1: 'Ratification',
  2: 'Capabilities',
  3: 'Security dilemma',
  4: 'Threat',
  5: 'Credibility',
  6: 'Crises and war',
  7: 'Alliance calls',
  8: 'Burden sharing',
  9: 'Legitimacy',
  10: 'Domestic politics',
  11: 'Behaviour',
  12: 'System',
  13: 'Free-form actions',
};

let references = {};

/** Keep the server's bibliography (citation key -> full reference) for `reference`. */
export function setReferences(map) {
  references = map && typeof map === 'object' ? map : {};
}

/** The full reference of a citation key, as the server's bibliography gives it (else the key). */
export function reference(key) {
  return typeof references[key] === 'string' ? references[key] : key;
}

/**
 * A citation key as a short reference: 'walt1987' -> 'Walt 1987',
 * 'christensen_snyder1990' -> 'Christensen & Snyder 1990'.
 */
export function cite(key) {
  const m = /^([a-z_]+?)(\d{4})([a-z]?)$/.exec(key);
  if (!m) return key;
  const names = m[1].split('_').filter(Boolean).map((n) => n.charAt(0).toUpperCase() + n.slice(1));
  const who = names.length > 2 ? `${names[0]} et al.` : names.join(' & ');
  return `${who} ${m[2]}${m[3]}`;
}

/** A gauge's word for a share in [0, 1]. */
export function level(x) {
  if (x === null || x === undefined) return 'unknown';
  if (x >= 0.66) return 'high';
  if (x >= 0.33) return 'moderate';
  return 'low';
}

export const PHASES = {
  lobby: 'Waiting to start',
  briefing: 'Briefing',
  diplomacy: 'Diplomacy',
  orders: 'Orders',
  results: 'Results',
  ended: 'Game over',
};

/** The kind of an agreement's line in the network, by obligation. */
export const AGREEMENT_COLOURS = {
  defence_pact: '#1f5fae',
  offence_pact: '#a3142a',
  neutrality: '#6b6b6b',
  non_aggression: '#2e7d32',
  consultation: '#7b5ea7',
  security_guarantee: '#0b7a8a',
  basing_rights: '#8a5a00',
  arms_deal: '#b4451f',
  joint_exercise: '#4d6b16',
  strategic_partnership: '#a0407a',
};

export function time(at) {
  if (!at) return '';
  return new Date(at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
