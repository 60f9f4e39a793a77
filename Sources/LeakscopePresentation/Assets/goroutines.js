(function(){
var D=JSON.parse(document.getElementById('data').textContent),S=D.strings,B=D.buckets;
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e}
function site(s){return s?S[s[0]]+' ('+S[s[1]].split('/').slice(-2).join('/')+':'+s[2]+')':'?'}
var sum=document.getElementById('summary');
sum.textContent=D.goroutines+' goroutines'+(D.labelled?', '+D.labelled+' labelled':'')+' in '+D.bucketCount+' buckets'+
  (D.dumps.length>1?' — dumps: '+D.dumps.join(' → '):'')+(D.change?' — '+D.change:'');
var st=document.getElementById('states');
D.byState.forEach(function(p){st.appendChild(el('span','chip',p[1]+' '+p[0]))});
var sus=document.getElementById('suspects'),any=false;
B.forEach(function(b,i){var s=b[9];if(!s)return;any=true;var d=el('div','suspect');
  d.appendChild(el('b',null,'#'+s[0]+' score '+s[1]+' — '+b[0]+' × '+S[b[1]]+' at '+site(b[4])));
  d.appendChild(el('div','why','why: '+s[2]));if(s[3])d.appendChild(el('div','fix','fix: '+s[3]));
  d.onclick=function(){search.value='';filter();var r=document.getElementById('b'+i);if(!r){while(shown<=order.indexOf(i))more();r=document.getElementById('b'+i)}if(r){r.open=true;fill(r,i);r.scrollIntoView()}};
  sus.appendChild(d)});
if(!any)sus.textContent='No leak suspects.';
var list=document.getElementById('buckets'),shownEl=document.getElementById('shown'),search=document.getElementById('search');
var order=B.map(function(_,i){return i}),shown=0,text=null;
function row(i){var b=B[i],d=el('details','bucket'),s=el('summary');d.id='b'+i;
  s.appendChild(el('span','n',b[0]));s.appendChild(el('span','st',S[b[1]]));
  s.appendChild(el('span','site',site(b[4])));
  if(b[9])s.appendChild(el('span','sus',' suspect #'+b[9][0]));else if(b[8])s.appendChild(el('span','healthy',' '+b[8].split(' — ')[0]));
  d.appendChild(s);d.addEventListener('toggle',function(){if(d.open)fill(d,i)});return d}
function fill(d,i){if(d.dataset.f)return;d.dataset.f=1;var b=B[i];
  var m=D.waits?['kind: '+S[b[2]],'wait minutes min/median/max: '+b[3],'created by: '+site(b[5])]:['kind: '+S[b[2]],'created by: '+site(b[5])];
  if(b[6])m.push('labels: '+b[6]);if(b[7])m.push('growth: '+b[7]);if(b[8])m.push(b[8]);
  if(b[9]){m.push('why: '+b[9][2]);if(b[9][3])m.push('fix: '+b[9][3])}
  m.forEach(function(t){d.appendChild(el('div','meta',t))});
  var f=el('div','frames');b[10].forEach(function(s){f.appendChild(el('div',null,S[s[0]]));f.appendChild(el('div','f','    '+S[s[1]]+':'+s[2]))});
  d.appendChild(f)}
function more(){var end=Math.min(order.length,shown+200),frag=document.createDocumentFragment();
  for(;shown<end;shown++)frag.appendChild(row(order[shown]));list.appendChild(frag);
  shownEl.textContent=order.length+' of '+B.length+' buckets'+(D.bucketCount>B.length?' ('+(D.bucketCount-B.length)+' smallest not included)':'')}
function haystack(i){var b=B[i],t=[S[b[1]],S[b[2]],b[6],b[8]];if(b[5])t.push(S[b[5][0]]);b[10].forEach(function(s){t.push(S[s[0]],S[s[1]])});return t.join('\n').toLowerCase()}
function filter(){var q=search.value.trim().toLowerCase();
  if(q&&!text)text=B.map(function(_,i){return haystack(i)});
  order=[];for(var i=0;i<B.length;i++)if(!q||text[i].indexOf(q)>=0)order.push(i);
  list.textContent='';shown=0;more()}
var timer;search.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(filter,120)});
new IntersectionObserver(function(e){if(e[0].isIntersecting&&shown<order.length)more()}).observe(document.getElementById('sentinel'));
// #q=text in the address pre-fills the search, so a filtered view can be shared.
var h=decodeURIComponent(location.hash.replace(/^#q=/,''));if(location.hash.indexOf('#q=')===0&&h){search.value=h;filter()}else more();
var top=list.querySelector('details');if(top&&B[order[0]][9]){top.open=true;fill(top,order[0])}
function tree(nodes,parent){nodes.forEach(function(n){var d=el('details'),s=el('summary',null,n[1]+' × go '+S[n[0]]+(n[2]>n[1]?'  ('+n[2]+' with descendants)':'')+(n[3]?'  [parent exited]':''));d.appendChild(s);
  if(n[4].length){d.addEventListener('toggle',function(){if(d.open&&!d.dataset.f){d.dataset.f=1;tree(n[4],d)}})}else s.style.listStyle='none';
  parent.appendChild(d)})}
var t=document.getElementById('tree');t.className='tree';tree(D.tree,t);
Array.prototype.forEach.call(t.children,function(d){d.open=true});
})();
