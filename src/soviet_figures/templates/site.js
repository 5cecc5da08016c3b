const DATA = JSON.parse(document.getElementById('obs-data').textContent);
function show(id){
  const r = DATA[id]; if(!r) return;
  const d = document.getElementById('detail');
  d.innerHTML = '';
  const v = document.createElement('div'); v.className='v'; v.textContent = r.value_text + ' (' + r.unit + ')'; d.appendChild(v);
  const desc = document.createElement('div'); desc.textContent = r.description; d.appendChild(desc);
  const q = document.createElement('p'); q.className='quote'; q.textContent = '“' + r.quote + '”'; d.appendChild(q);
  const c = document.createElement('p'); c.className='cite'; c.textContent = r.cite; d.appendChild(c);
  const a = document.createElement('a'); a.href = r.href; a.textContent = 'row ' + id; d.appendChild(a);
  d.style.display = 'block';
  document.querySelectorAll('tr.sel').forEach(t => t.classList.remove('sel'));
  const row = document.getElementById('obs-' + id); if(row) row.classList.add('sel');
}
document.querySelectorAll('[data-obs]').forEach(el => {
  el.addEventListener('click', () => show(el.dataset.obs));
  el.addEventListener('keydown', e => { if(e.key === 'Enter') show(el.dataset.obs); });
});
const f = document.getElementById('filter');
if(f){ f.addEventListener('input', () => {
  const t = f.value.toLowerCase();
  document.querySelectorAll('#rows tbody tr').forEach(tr => { tr.style.display = tr.textContent.toLowerCase().includes(t) ? '' : 'none'; });
});}
document.querySelectorAll('#rows th').forEach((th, i) => th.addEventListener('click', () => {
  const tb = document.querySelector('#rows tbody'); const rows = Array.from(tb.rows);
  const dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = r => { const s = r.cells[i].textContent; const n = parseFloat(s); return isNaN(n) ? s : n; };
  rows.sort((a, b) => { const x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * dir; });
  rows.forEach(r => tb.appendChild(r));
}));
