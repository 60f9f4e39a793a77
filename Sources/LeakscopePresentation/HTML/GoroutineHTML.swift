import LeakscopeGoroutineAnalysis
import LeakscopeFindings

/// A self-contained HTML report: summary, suspects, searchable collapsible buckets and the
/// creation tree. The data travels once, as compact JSON with every string interned; the page
/// renders rows as they scroll into view and a bucket's stack only when opened, so a dump of
/// 200k goroutines opens at once. No external URL anywhere.
public enum GoroutineHTML {
    /// Buckets beyond this are summarised, not listed (the smallest ones, after the suspects).
    public static let bucketLimit = 20_000
    /// Frames kept per bucket.
    public static let frameLimit = 64

    public static func render(_ a: GoroutineAnalysis, title: String = "leakscope goroutines") -> String {
        var strings = StringTable()
        var data = "{\"title\":" + jsonString(title)
        data += ",\"goroutines\":\(a.goroutines),\"labelled\":\(a.labelled),\"bucketCount\":\(a.buckets.count)"
        data += ",\"dumps\":[" + a.dumps.map { jsonString("\($0.name) (\($0.goroutines))") }.joined(separator: ",") + "]"
        data += ",\"byState\":[" + a.byState.map { "[\(jsonString($0.state)),\($0.count)]" }.joined(separator: ",") + "]"
        if let c = a.change {
            data += ",\"change\":" + jsonString("since the previous dump: \(c.new) new, \(c.gone) gone, \(c.persisted) still there")
        }
        // Bucket: [count, state, kind, "min/med/max", site, creator, labels, growth, healthy, suspect, frames]
        // where site/creator/frames are [function, file, line] with interned strings.
        func site(_ s: SourceSite?) -> String {
            guard let s else { return "0" }
            return "[\(strings.id(s.function)),\(strings.id(s.file)),\(s.line)]"
        }
        var rows: [String] = []
        rows.reserveCapacity(min(a.buckets.count, bucketLimit))
        for bucket in a.buckets.prefix(bucketLimit) {
            let w = bucket.waitMinutes
            var row = "[\(bucket.count),\(strings.id(bucket.state)),\(strings.id(bucket.kind.phrase)),\"\(w.min)/\(w.median)/\(w.max)\""
            row += "," + site(bucket.blockingSite) + "," + site(bucket.createdBy)
            row += "," + jsonString(bucket.labelSets.prefix(5).map(GoroutineText.labelText).joined(separator: " "))
            row += "," + jsonString(bucket.growth.map(GoroutineText.growthText) ?? "")
            row += "," + jsonString(bucket.healthyShape.map { "healthy: \($0.name) — \($0.reason)" } ?? "")
            if let s = bucket.suspect {
                row += ",[\(s.rank),\(s.score),\(jsonString(s.reason)),\(jsonString(s.remedy ?? ""))]"
            } else {
                row += ",0"
            }
            row += ",[" + bucket.stack.prefix(frameLimit).map { site($0) }.joined(separator: ",") + "]"
            rows.append(row + "]")
        }
        data += ",\"buckets\":[" + rows.joined(separator: ",\n") + "]"
        data += ",\"tree\":" + treeJSON(a.creationTree, strings: &strings)
        data += ",\"strings\":[" + strings.list.map(jsonString).joined(separator: ",") + "]}"

        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>\(style)</style></head>
        <body>
        <header><h1>\(escapeHTML(title))</h1><div id="summary"></div><div id="states"></div></header>
        <section><h2>Suspects</h2><div id="suspects"></div></section>
        <section><h2>Buckets</h2>
        <input id="search" type="search" placeholder="Filter by function, file, state or label" autocomplete="off">
        <span id="shown"></span>
        <div id="buckets"></div><div id="sentinel"></div></section>
        <section><h2>Creation tree</h2><p class="hint">Who spawned whom: goroutines grouped by the go statement that started them, under the goroutines that ran it.</p><div id="tree"></div></section>
        <script id="data" type="application/json">\(data)</script>
        <script>\(script)</script>
        </body></html>

        """
    }

    static func treeJSON(_ nodes: [CreationNode], strings: inout StringTable) -> String {
        "[" + nodes.map { "[\(strings.id($0.site)),\($0.count),\($0.total),\($0.parentGone ? 1 : 0),\(treeJSON($0.children, strings: &strings))]" }
            .joined(separator: ",") + "]"
    }

    struct StringTable {
        var list: [String] = [""]
        var ids: [String: Int] = ["": 0]
        mutating func id(_ s: String) -> Int {
            if let known = ids[s] { return known }
            list.append(s)
            ids[s] = list.count - 1
            return list.count - 1
        }
    }

    /// A JSON string literal that is also safe inside a `<script>` element.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func escapeHTML(_ text: String) -> String { HTMLText.escape(text) }

    static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#222}
    h1{font-size:20px;margin:16px 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #ddd}
    .chip{display:inline-block;background:#eef;border-radius:10px;padding:1px 8px;margin:2px 4px 2px 0;font-size:12px}
    .suspect{border-left:4px solid #c33;background:#fff6f6;padding:6px 10px;margin:8px 0}
    .suspect b{color:#a00}.fix{color:#064;margin-top:2px}.why{margin-top:2px}
    details.bucket{border-bottom:1px solid #eee;padding:2px 0}details.bucket>summary{cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .n{display:inline-block;min-width:70px;text-align:right;font-weight:600;margin-right:8px}
    .st{display:inline-block;min-width:170px;color:#555}.site{font-family:ui-monospace,monospace}
    .healthy{color:#080;font-size:12px}.sus{color:#c00;font-weight:600}
    .frames{font-family:ui-monospace,monospace;font-size:12px;margin:4px 0 8px 80px;white-space:pre-wrap}
    .frames .f{color:#777}.meta{margin-left:80px;font-size:12px;color:#444}
    #search{width:60%;padding:4px 6px;font-size:14px}#shown{color:#666;margin-left:8px}
    .tree details{margin-left:18px}.tree summary{cursor:pointer}.hint{color:#666;font-size:12px}
    """

    static let script = #"""
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
      var m=['kind: '+S[b[2]],'wait minutes min/median/max: '+b[3],'created by: '+site(b[5])];
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
    """#
}
