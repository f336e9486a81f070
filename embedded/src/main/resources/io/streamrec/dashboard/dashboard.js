'use strict';
// The live dashboard: polls the data endpoint every 2 s and redraws. Charts render as SVG, so what is drawn is in the
// DOM (the browser test reads it); body[data-drawn] records the series drawn per chart and their point counts.
const DATA = 'api/state';
const charts = {};
const drawn = {};

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init(document.getElementById(id), null, {renderer: 'svg'});
  return charts[id];
}

function fmt(v, digits) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  return Number(v).toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? 0 : digits});
}

function day(ms) {
  return ms ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '–';
}

// lines: [{name, data: [[x, y], ...], color, yAxisIndex}]
function draw(id, lines, yNames, xIsReplay) {
  // a single axis is named by the card's title; two axes say which is which
  const axes = (yNames || ['']).map((n, i) => ({type: 'value', name: yNames.length > 1 ? n : '', scale: true,
    position: i ? 'right' : 'left', splitLine: {show: i === 0}, nameTextStyle: {fontSize: 11}}));
  chart(id).setOption({
    animation: false,
    grid: {left: 50, right: yNames && yNames.length > 1 ? 55 : 15, top: yNames.length > 1 ? 50 : 35, bottom: 45},
    legend: {type: 'scroll', top: 0, textStyle: {fontSize: 11}},
    tooltip: {trigger: 'axis', valueFormatter: v => fmt(v, 4)},
    xAxis: {type: 'time', name: xIsReplay ? 'replay time' : '', nameLocation: 'middle', nameGap: 28,
      axisLabel: {fontSize: 10, hideOverlap: true}},
    yAxis: axes,
    series: lines.map(l => ({name: l.name, type: 'line', showSymbol: false, data: l.data, yAxisIndex: l.yAxisIndex || 0,
      lineStyle: {width: 2, color: l.color}, itemStyle: {color: l.color}, connectNulls: true}))
  }, true);
  drawn[id] = Object.fromEntries(lines.map(l => [l.name, l.data.length]));
}

function policyLines(byPolicy, colors) {
  return Object.entries(byPolicy || {}).map(([policy, points]) => ({
    name: policy, color: colors[policy], data: points.map(p => [p[0], p[1]])}));
}

function column(rows, i) {
  return (rows || []).map(r => [r[0], r[i]]);
}

function render(s) {
  document.getElementById('title').textContent = s.title;
  const st = s.status;
  const job = st.job || {};
  const lastRate = (s.rates || []).slice(-1)[0] || [];
  const lastPub = (s.publications || []).slice(-1)[0] || [];
  const items = [
    ['job', st.jobState],
    ['events in', fmt(st.eventsIn)],
    ['events/s', fmt(job.sourceRecordsPerSecond !== undefined ? job.sourceRecordsPerSecond : lastRate[1])],
    ['recommendations', fmt(st.recommendations)],
    ['recommendations/s', fmt(lastRate[2])],
    ['model version', 'v' + fmt(st.modelVersion)],
    ['learner steps', fmt(job.trainSteps !== undefined ? job.trainSteps : lastPub[1])],
    ['replay ratio', fmt(job.replayRatio !== undefined ? job.replayRatio : lastPub[2], 2)],
    ['staleness', fmt(job.staleness)],
    ['serving batch', fmt(job.actorBatchSize)],
    ['serving latency ms', fmt(job.actorLatencyMs, 1)],
    ['dead letters', fmt(st.deadLetters)],
    ['replay clock', day(st.replayClock)]];
  document.getElementById('status').innerHTML = items.map(([k, v]) => `<span>${k} <b>${escapeHtml(v)}</b></span>`).join('');
  document.getElementById('smoothing').textContent = s.smoothing || '';

  const k = s.k;
  const names = {ndcg: 'ndcg@' + k, hit: 'hit@' + k, reward: 'reward'};
  document.getElementById('h-ndcg-s').textContent = `NDCG@${k}, smoothed`;
  document.getElementById('h-ndcg-c').textContent = `NDCG@${k}, cumulative`;
  document.getElementById('h-hit-s').textContent = `hit@${k}, smoothed`;
  document.getElementById('h-hit-c').textContent = `hit@${k}, cumulative`;
  let policies = 0;
  for (const [key, metric] of Object.entries(names)) {
    const c = s.curves[metric] || {};
    draw(key + '-smoothed', policyLines(c.smoothed, s.colors), [metric], true);
    draw(key + '-cumulative', policyLines(c.cumulative, s.colors), [metric], true);
    policies = Math.max(policies, Object.keys(c.cumulative || {}).length);
  }
  document.getElementById('empty').textContent = (st.feedError ? 'Feed: ' + st.feedError + ' ' : '') + (policies ? '' :
    'No evaluation records on the metrics topic yet (the evaluator publishes one every eval.window.events events).');

  const rates = [
    {name: 'events/s (ratings topic)', data: column(s.rates, 1), color: '#1f77b4'},
    {name: 'recommendations/s', data: column(s.rates, 2), color: '#d62728'}];
  if (s.job.sourceRecordsPerSecond)
    rates.push({name: 'source records/s (Flink, 1-min mean)', data: s.job.sourceRecordsPerSecond, color: '#2ca02c'});
  draw('rates', rates, ['per second'], false);

  const learner = [];
  for (const [name, color] of [['criticLoss', '#d62728'], ['actorLoss', '#1f77b4'], ['auxLoss', '#9467bd']])
    if (s.job[name]) learner.push({name, data: s.job[name], color});
  const ratio = s.job.replayRatio || column(s.publications, 2);
  learner.push({name: 'replay ratio', data: ratio, color: '#2ca02c', yAxisIndex: 1});
  draw('learner', learner, ['loss', 'samples per transition'], false);

  const loop = s.closedLoop || {};
  if (Object.keys(loop).length) {
    document.getElementById('closed-loop-card').hidden = false;
    draw('closed-loop', policyLines(loop, s.colors), ['return'], true);
  }

  const m = ['ndcg@' + k, 'hit@' + k, 'reward'];
  document.getElementById('leaderboard').innerHTML =
    `<tr><th>policy</th><th>slates judged</th><th>${m[0]}</th><th>${m[1]}</th><th>${m[2]}</th></tr>` +
    (s.leaderboard || []).map(r => `<tr><td><span class="swatch" style="background:${s.colors[r.policy]}"></span>` +
      `${escapeHtml(r.policy)}</td><td>${fmt(r.slates)}</td>` + m.map(n => `<td>${fmt(r[n], 4)}</td>`).join('') +
      '</tr>').join('');
  slateTable('slates', s.slates);
  document.getElementById('policy-slates-card').hidden = !(s.policySlates || []).length;
  slateTable('policy-slates', s.policySlates);
  document.body.dataset.drawn = JSON.stringify(drawn);
  document.body.dataset.updated = String(s.updated);
}

function slateTable(id, slates) {
  const rows = (slates || []).map(r => `<tr><td>${r.user}</td><td>${escapeHtml(r.policy)}</td><td>v${r.modelVersion}</td>` +
    `<td>${day(r.eventTime)}</td><td>${r.items.map(escapeHtml).join(' · ')}</td></tr>`);
  document.getElementById(id).innerHTML =
    '<tr><th>user</th><th>policy</th><th>model</th><th>replay time</th><th>slate</th></tr>' + rows.join('');
}

function escapeHtml(t) {
  return String(t).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
}

async function refresh() {
  try {
    const r = await fetch(DATA, {cache: 'no-store'});
    render(await r.json());
  } catch (e) {
    document.getElementById('status').textContent = 'dashboard unreachable: ' + e;
  }
  setTimeout(refresh, 2000);
}

window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
refresh();
