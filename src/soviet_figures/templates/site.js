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
  document.querySelectorAll('.sel').forEach(t => t.classList.remove('sel'));
  const row = document.getElementById('obs-' + id); if(row) row.classList.add('sel');
}
document.querySelectorAll('[data-obs]').forEach(el => {
  el.addEventListener('click', () => show(el.dataset.obs));
  el.addEventListener('keydown', e => { if(e.key === 'Enter') show(el.dataset.obs); });
});
function fromHash(){
  const h = decodeURIComponent(location.hash);
  if(h.startsWith('#obs-')){ const row = document.getElementById(h.slice(1)); show(h.slice(5)); if(row) row.scrollIntoView({block: 'center'}); }
}
window.addEventListener('hashchange', fromHash);
fromHash();
const f = document.getElementById('filter');
if(f){ f.addEventListener('input', () => {
  const t = f.value.toLowerCase();
  document.querySelectorAll('#rows tbody tr').forEach(tr => { tr.style.display = tr.textContent.toLowerCase().includes(t) ? '' : 'none'; });
});}
document.querySelectorAll('#rows th').forEach((th, i) => th.addEventListener('click', () => {
  const tb = document.querySelector('#rows tbody'); const rows = Array.from(tb.rows);
  const dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = r => { const s = r.cells[i].dataset.sort ?? r.cells[i].textContent; const n = Number(s); return s !== '' && !isNaN(n) ? n : s; };
  rows.sort((a, b) => { const x = key(a), y = key(b); return (typeof x === typeof y ? (x > y ? 1 : x < y ? -1 : 0) : typeof x === 'number' ? -1 : 1) * dir; });
  rows.forEach(r => tb.appendChild(r));
}));
// search.html: every word (folded: case, ё → е) must occur in a figure's text, in either
// alphabet; a word is read without its ending, so стахановцев and стахановц, Stakhanovites and
// Stakhanovite meet
const ENDINGS = ('ами ями ого ему ими ыми его ому ой ей ий ый ая яя ое ее ов ев ам ям ах ях ом ем ую юю ы и а я у ю е о ь ' +
                 'ies es s ing ed ism ist ists ite ites').split(' ').sort((a, b) => b.length - a.length);
function fold(s){ return s.toLowerCase().replace(/ё/g, 'е').replace(/_/g, ' ').replace(/\s+/g, ' '); }
function stem(w){ for(const e of ENDINGS){ if(w.endsWith(e) && w.length - e.length >= 4) return w.slice(0, -e.length); } return w; }
// a word in the other alphabet too (Library of Congress, simplified): stakhanov ↔ стаханов
const LATIN = [['shch','щ'],['zh','ж'],['kh','х'],['ts','ц'],['ch','ч'],['sh','ш'],['yu','ю'],['ya','я'],['yo','е'],['a','а'],['b','б'],['v','в'],
  ['g','г'],['d','д'],['e','е'],['z','з'],['i','и'],['y','ы'],['k','к'],['l','л'],['m','м'],['n','н'],['o','о'],['p','п'],['r','р'],['s','с'],
  ['t','т'],['u','у'],['f','ф'],['c','к']];
const CYRILLIC = Object.assign(Object.fromEntries(LATIN.slice().reverse().map(([l, c]) => [c, l])), {'й':'i','ь':'','ъ':'','э':'e','ё':'e','щ':'shch'});
function variants(w){
  if(/^[\x00-\x7f]*$/.test(w)){
    let out = '', i = 0;
    while(i < w.length){ const m = LATIN.find(([l]) => w.startsWith(l, i)); if(m){ out += m[1]; i += m[0].length; } else { out += w[i]; i += 1; } }
    return [w, out];
  }
  return [w, Array.from(w).map(ch => CYRILLIC[ch] ?? ch).join('')];
}
const INDEX = document.getElementById('search-index');
if(INDEX){
  const figures = JSON.parse(INDEX.textContent);
  const texts = figures.map(r => fold([r.id, r.v, r.u, r.p, r.s, r.d, r.q, r.x, r.doc].join(' ')));
  const query = new URLSearchParams(location.search).get('q') || '';
  document.querySelectorAll('form.search input[name=q]').forEach(b => { b.value = query; });
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(stem);
  const status = document.getElementById('search-status');
  const list = document.getElementById('results');
  if(!words.length){ status.textContent = 'Type words in the box above.'; }
  else {
    const forms = words.map(variants);
    const hits = figures.filter((r, i) => forms.every(vs => vs.some(v => texts[i].includes(v))));
    status.textContent = hits.length + (hits.length === 1 ? ' figure matches ' : ' figures match ') + '“' + query + '”.';
    for(const r of hits){
      const li = document.createElement('li'); li.className = 'hit';
      const a = document.createElement('a'); a.href = r.href; a.textContent = r.v + ' ' + r.u; li.appendChild(a);
      li.appendChild(document.createTextNode(' — ' + r.d + ' '));
      const q = document.createElement('span'); q.className = 'quote'; q.textContent = '“' + r.q + '”'; li.appendChild(q);
      const m = document.createElement('div'); m.className = 'meta'; m.textContent = [r.s, r.p || 'undated', r.doc, r.id].join(' · '); li.appendChild(m);
      list.appendChild(li);
    }
  }
}
