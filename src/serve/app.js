// newsdex search page. The whole state lives in the URL's query string, so a search can be
// shared and a reload restores it. Every value from the index or the URL is inserted with
// textContent, createTextNode or DOM properties: this file never builds HTML from strings.
'use strict';

const FILTER_KINDS = ['person', 'country', 'topic', 'org', 'source'];
const FACET_ORDER = ['country', 'person', 'topic', 'source', 'org', 'year'];
const FACET_TITLES = {
  country: 'Countries', person: 'People', topic: 'Topics',
  source: 'Sources', org: 'Organizations', year: 'Years',
};
const KIND_LABELS = {
  person: 'Person', country: 'Country', topic: 'Topic', org: 'Organization', source: 'Source',
};
const SORTS = ['relevance', 'newest', 'oldest'];
const PAGE_SIZE = 10;
const MAX_MONTH_BARS = 60;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** ISO code -> country name, learned from facets and articles. */
const countryNames = new Map();
/** Increases with every render; answers to older renders are dropped. */
let generation = 0;

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// ---- state <-> URL ----

function readState() {
  const params = new URLSearchParams(window.location.search);
  const text = (name) => (params.get(name) || '').trim();
  const offset = Number.parseInt(text('offset'), 10);
  const state = {
    q: params.get('q') || '',
    sort: SORTS.includes(text('sort')) ? text('sort') : 'relevance',
    from: text('from'),
    to: text('to'),
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    id: params.get('id') || '',
    filters: {},
  };
  for (const kind of FILTER_KINDS) {
    state.filters[kind] = params.getAll(kind).filter((value) => value.trim() !== '');
  }
  return state;
}

/** The query string of a state; without `paging` no sort or offset, with `id` the open article. */
function paramsOf(state, { paging = true, id = false } = {}) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q.trim());
  for (const kind of FILTER_KINDS) {
    for (const value of state.filters[kind]) params.append(kind, value);
  }
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (paging) {
    if (state.sort !== 'relevance') params.set('sort', state.sort);
    if (state.offset > 0) params.set('offset', String(state.offset));
  }
  if (id && state.id) params.set('id', state.id);
  return params;
}

function go(state) {
  const query = paramsOf(state, { id: true }).toString();
  window.history.pushState(null, '', query ? `?${query}` : window.location.pathname);
  render();
}

function withoutArticle(state) {
  return { ...state, id: '' };
}

function cloneFilters(state) {
  const filters = {};
  for (const kind of FILTER_KINDS) filters[kind] = state.filters[kind].slice();
  return filters;
}

// ---- fetching ----

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    throw new Error(`the server answered ${response.status}`);
  }
  if (!response.ok) {
    throw new Error(body && typeof body.error === 'string' ? body.error : `the server answered ${response.status}`);
  }
  return body;
}

function showError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

function setStatus(message, total) {
  const status = $('status');
  status.textContent = message;
  if (total === undefined) delete status.dataset.total;
  else status.dataset.total = String(total);
}

// ---- text with byte ranges marked ----

/**
 * Appends `text` to `parent`, with the byte ranges [start, end) wrapped by `wrap`. Ranges
 * with the same bounds (the Kremlin as an organization and as Russia) share one node;
 * `wrap` gets all of them. A range overlapping an earlier one is left out.
 */
function appendMarked(parent, text, ranges, wrap) {
  const bytes = encoder.encode(text);
  const groups = [];
  for (const range of ranges.slice().sort((a, b) => a.start - b.start || a.end - b.end)) {
    const last = groups[groups.length - 1];
    if (last && last[0].start === range.start && last[0].end === range.end) last.push(range);
    else groups.push([range]);
  }
  let position = 0;
  for (const group of groups) {
    const start = Number(group[0].start);
    const end = Number(group[0].end);
    if (!(start >= position && end > start && end <= bytes.length)) continue;
    parent.appendChild(document.createTextNode(decoder.decode(bytes.subarray(position, start))));
    const node = wrap(group);
    node.textContent = decoder.decode(bytes.subarray(start, end));
    parent.appendChild(node);
    position = end;
  }
  parent.appendChild(document.createTextNode(decoder.decode(bytes.subarray(position))));
}

function formatDate(value) {
  if (!value) return '';
  return String(value).slice(0, 10);
}

function countryLabel(code) {
  return countryNames.get(code) || code;
}

function filterLabel(kind, value) {
  return kind === 'country' ? countryLabel(value.toUpperCase()) : value;
}

// ---- rendering ----

function render() {
  generation += 1;
  const state = readState();
  $('q').value = state.q;
  $('sort').value = state.sort;
  showError('');
  renderChips(state);
  const reading = Boolean(state.id);
  $('results-view').hidden = reading;
  $('facets').hidden = reading;
  $('article-view').hidden = !reading;
  $('main').classList.toggle('reading', reading);
  if (reading) {
    showArticle(state, generation);
  } else {
    showResults(state, generation);
  }
}

function renderChips(state) {
  const chips = $('chips');
  chips.replaceChildren();
  const add = (label, remove) => {
    const chip = element('button', 'chip');
    chip.type = 'button';
    chip.append(document.createTextNode(label), element('span', 'x', '×'));
    chip.setAttribute('aria-label', `Remove filter ${label}`);
    chip.addEventListener('click', () => {
      const next = { ...withoutArticle(state), filters: cloneFilters(state), offset: 0 };
      remove(next);
      go(next);
    });
    chips.appendChild(chip);
  };
  let count = 0;
  for (const kind of FILTER_KINDS) {
    state.filters[kind].forEach((value, index) => {
      count += 1;
      add(`${KIND_LABELS[kind]}: ${filterLabel(kind, value)}`, (next) => {
        next.filters[kind].splice(index, 1);
      });
    });
  }
  if (state.from && state.from === state.to) {
    count += 1;
    add(`Period: ${state.from}`, (next) => { next.from = ''; next.to = ''; });
  } else {
    if (state.from) { count += 1; add(`From: ${state.from}`, (next) => { next.from = ''; }); }
    if (state.to) { count += 1; add(`To: ${state.to}`, (next) => { next.to = ''; }); }
  }
  if (count > 1) {
    const clear = element('button', 'chip clear', 'Clear all filters');
    clear.type = 'button';
    clear.addEventListener('click', () => {
      const filters = {};
      for (const kind of FILTER_KINDS) filters[kind] = [];
      go({ ...withoutArticle(state), filters, from: '', to: '', offset: 0 });
    });
    chips.appendChild(clear);
  }
}

async function showResults(state, mine) {
  const params = paramsOf(state);
  params.set('limit', String(PAGE_SIZE));
  params.set('facets', FACET_ORDER.join(','));
  params.set('facet_limit', '8');
  document.body.dataset.loading = 'true';
  setStatus('Searching…');
  const timeline = loadTimeline(state, mine);
  try {
    const response = await getJSON(`/api/search?${params}`);
    if (mine !== generation) return;
    for (const value of response.facets.country || []) {
      if (value.name) countryNames.set(value.value, value.name);
    }
    renderChips(state);
    renderHits(response, state);
    renderFacets(response.facets, state);
    renderPager(response, state);
    const first = response.hits.length ? state.offset + 1 : 0;
    const last = state.offset + response.hits.length;
    const noun = response.total === 1 ? 'article' : 'articles';
    setStatus(
      response.total === 0
        ? 'No articles match.'
        : `${response.total} ${noun} match; showing ${first}–${last}.`,
      response.total,
    );
  } catch (error) {
    if (mine !== generation) return;
    $('hits').replaceChildren();
    $('facets').replaceChildren();
    $('pager').replaceChildren();
    setStatus('', 0);
    showError(error.message);
  }
  await timeline;
  if (mine === generation) document.body.dataset.loading = 'false';
}

function renderHits(response, state) {
  const list = $('hits');
  list.replaceChildren();
  for (const hit of response.hits) {
    const item = element('li', 'hit');
    const heading = element('h2');
    const link = element('a', null, hit.title || '(untitled)');
    link.href = `?${paramsOf({ ...state, id: hit.id }, { id: true })}`;
    link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      go({ ...state, id: hit.id });
    });
    heading.appendChild(link);
    const meta = element('p', 'meta');
    if (hit.date) {
      const time = element('time', null, formatDate(hit.date));
      time.dateTime = hit.date;
      meta.appendChild(time);
    }
    if (hit.source) meta.appendChild(element('span', null, hit.source));
    if (hit.copies > 1) meta.appendChild(element('span', null, `${hit.copies} copies`));
    const snippet = element('p', 'snippet');
    (hit.fragments || []).forEach((fragment, index) => {
      if (index > 0) snippet.appendChild(document.createTextNode(' … '));
      const ranges = (fragment.highlights || []).map(([start, end]) => ({ start, end }));
      appendMarked(snippet, fragment.text, ranges, () => element('b'));
    });
    item.append(heading, meta, snippet);
    list.appendChild(item);
  }
}

function renderFacets(facets, state) {
  const aside = $('facets');
  aside.replaceChildren();
  for (const kind of FACET_ORDER) {
    const values = facets[kind] || [];
    if (values.length === 0) continue;
    aside.appendChild(element('h2', null, FACET_TITLES[kind]));
    const list = element('ul');
    for (const value of values) {
      const active = kind === 'year'
        ? state.from === value.value && state.to === value.value
        : state.filters[kind].some((chosen) => chosen.toLowerCase() === value.value.toLowerCase());
      const button = element('button', 'facet');
      button.type = 'button';
      button.dataset.kind = kind;
      button.dataset.value = value.value;
      button.setAttribute('aria-pressed', active ? 'true' : 'false');
      const label = kind === 'country' && value.name ? value.name : value.value;
      button.append(element('span', 'label', label), element('span', 'count', value.count));
      button.title = active ? `Remove ${label}` : `Only articles with ${label}`;
      button.addEventListener('click', () => toggleFacet(state, kind, value.value, active));
      const item = element('li');
      item.appendChild(button);
      list.appendChild(item);
    }
    aside.appendChild(list);
  }
}

function toggleFacet(state, kind, value, active) {
  const next = { ...withoutArticle(state), filters: cloneFilters(state), offset: 0 };
  if (kind === 'year') {
    next.from = active ? '' : value;
    next.to = active ? '' : value;
  } else if (active) {
    next.filters[kind] = next.filters[kind].filter((chosen) => chosen.toLowerCase() !== value.toLowerCase());
  } else {
    next.filters[kind].push(value);
  }
  go(next);
}

function renderPager(response, state) {
  const pager = $('pager');
  pager.replaceChildren();
  if (response.total <= PAGE_SIZE && state.offset === 0) return;
  const button = (label, offset, enabled) => {
    const node = element('button', null, label);
    node.type = 'button';
    node.disabled = !enabled;
    node.addEventListener('click', () => go({ ...state, offset }));
    return node;
  };
  const previous = Math.max(0, state.offset - PAGE_SIZE);
  const next = state.offset + PAGE_SIZE;
  pager.append(
    button('← Previous', previous, state.offset > 0),
    button('Next →', next, next < response.total && next <= 10000),
  );
}

async function loadTimeline(state, mine) {
  const figure = $('timeline');
  try {
    const params = paramsOf(state, { paging: false });
    params.set('by', 'month');
    let timeline = await getJSON(`/api/timeline?${params}`);
    if (timeline.periods.length > MAX_MONTH_BARS) {
      params.set('by', 'year');
      timeline = await getJSON(`/api/timeline?${params}`);
    }
    if (mine !== generation) return;
    renderTimeline(timeline, state);
  } catch (_) {
    // The search shows the error; the chart just goes away.
    if (mine === generation) figure.hidden = true;
  }
}

function renderTimeline(timeline, state) {
  const figure = $('timeline');
  const bars = $('bars');
  bars.replaceChildren();
  const periods = timeline.periods;
  if (periods.length === 0) {
    figure.hidden = true;
    return;
  }
  figure.hidden = false;
  const most = Math.max(1, ...periods.map((period) => period.count));
  const width = timeline.by === 'year' ? 'year' : 'month';
  const undated = timeline.undated ? `; ${timeline.undated} undated` : '';
  $('timeline-caption').textContent = `Matching articles per ${width}${undated}. Choose a bar to see that ${width}.`;
  for (const period of periods) {
    const bar = element('button', period.count ? 'bar' : 'bar empty');
    bar.type = 'button';
    const label = `${period.period}: ${period.count} ${period.count === 1 ? 'article' : 'articles'}`;
    bar.title = label;
    bar.setAttribute('aria-label', label);
    bar.style.height = `${Math.max(period.count ? 4 : 1, (period.count / most) * 100)}%`;
    bar.addEventListener('click', () => {
      go({ ...withoutArticle(state), from: period.period, to: period.period, offset: 0 });
    });
    bars.appendChild(bar);
  }
  $('axis-first').textContent = periods[0].period;
  $('axis-last').textContent = periods[periods.length - 1].period;
}

// ---- one article ----

async function showArticle(state, mine) {
  const view = $('article-view');
  view.replaceChildren();
  document.body.dataset.loading = 'true';
  setStatus('Loading the article…');
  try {
    const article = await getJSON(`/api/article/${encodeURIComponent(state.id)}`);
    if (mine !== generation) return;
    for (const [code, name] of Object.entries(article.country_names || {})) {
      countryNames.set(code, name);
    }
    renderArticle(view, article, state);
    setStatus('');
    view.querySelector('h1').focus();
  } catch (error) {
    if (mine !== generation) return;
    setStatus('');
    showError(error.message);
    view.appendChild(backButton(state));
  }
  if (mine === generation) document.body.dataset.loading = 'false';
}

function backButton(state) {
  const back = element('button', 'back', '← Back to results');
  back.type = 'button';
  back.addEventListener('click', () => go(withoutArticle(state)));
  return back;
}

/** An http(s) link, or null for anything else (javascript:, data:, ...). */
function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch (_) {
    return null;
  }
}

/** A mark for mentions of one stretch of text, titled with what they stand for. */
function mentionMark(mentions) {
  const kindOf = (mention) => (['person', 'country', 'org'].includes(mention.kind) ? mention.kind : 'other');
  const mark = element('mark', `m-${kindOf(mentions[0])}`);
  mark.title = mentions
    .map((mention) => {
      const kind = kindOf(mention);
      const canonical = kind === 'country' ? countryLabel(mention.canonical) : mention.canonical;
      return `${KIND_LABELS[kind] || 'Entity'}: ${canonical}`;
    })
    .join('; ');
  return mark;
}

function renderArticle(view, article, state) {
  view.appendChild(backButton(state));
  const mentions = article.mentions || [];
  const title = element('h1', 'article-title');
  title.tabIndex = -1;
  appendMarked(title, article.title || '(untitled)', mentions.filter((m) => m.field === 'title'), mentionMark);
  const meta = element('p', 'meta');
  if (article.date) {
    const time = element('time', null, formatDate(article.date));
    time.dateTime = article.date;
    meta.appendChild(time);
  }
  if (article.source) meta.appendChild(element('span', null, article.source));
  if (article.byline) meta.appendChild(element('span', null, article.byline));
  const url = article.url ? safeUrl(article.url) : null;
  if (url) {
    const link = element('a', null, 'original');
    link.href = url;
    link.rel = 'noopener noreferrer nofollow';
    meta.appendChild(link);
  }
  meta.appendChild(element('span', null, `${article.path}#${article.item}`));
  view.append(title, meta, entityList(article, state));
  const body = element('div', 'body');
  appendMarked(body, article.body || '', mentions.filter((m) => m.field === 'body'), mentionMark);
  view.appendChild(body);
}

function entityList(article, state) {
  const list = element('dl', 'entities');
  const rows = [
    ['person', 'People', article.people],
    ['country', 'Countries', article.countries],
    ['org', 'Organizations', article.orgs],
    ['topic', 'Topics', article.topics],
  ];
  for (const [kind, title, values] of rows) {
    if (!values || values.length === 0) continue;
    const definition = element('dd');
    for (const value of values) {
      const label = kind === 'country' ? countryLabel(value) : value;
      const button = element('button', `entity m-${kind}`, label);
      button.type = 'button';
      button.title = `Search articles with ${label}`;
      button.addEventListener('click', () => {
        const filters = {};
        for (const other of FILTER_KINDS) filters[other] = [];
        filters[kind] = [value];
        go({ q: '', sort: 'relevance', from: '', to: '', offset: 0, id: '', filters });
      });
      definition.appendChild(button);
    }
    list.append(element('dt', null, title), definition);
  }
  return list;
}

// ---- wiring ----

function start() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const state = readState();
    go({ ...withoutArticle(state), q: $('q').value, sort: $('sort').value, offset: 0 });
  });
  $('sort').addEventListener('change', () => {
    const state = readState();
    if (!state.id) go({ ...state, q: $('q').value, sort: $('sort').value, offset: 0 });
  });
  window.addEventListener('popstate', render);
  document.addEventListener('keydown', (event) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (event.key === '/' && !typing) {
      event.preventDefault();
      $('q').focus();
    } else if (event.key === 'Escape' && readState().id) {
      go(withoutArticle(readState()));
    }
  });
  render();
}

start();
