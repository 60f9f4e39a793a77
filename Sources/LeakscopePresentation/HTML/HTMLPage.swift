import LeakscopeFlame

/// The document every leakscope page is: doctype, a head with the shared stylesheet and the
/// page's own, then the body's markup, data blocks and scripts. Written once here so the
/// flame graph, goroutines and diagnose pages cannot drift apart.
///
/// The page is built as bytes: the flame graph's embedded tree runs to megabytes and goes
/// in without passing through `String`.
package struct HTMLPage {
    private var out = ByteWriter()

    /// Opens the document and its body. `title` is escaped; `css` is the page's own
    /// stylesheet, placed after `PageAssets.pageCSS` so it can refine the shared rules.
    package init(title: String, css: String) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        out.append("<title>")
        out.append(HTMLText.escape(title))
        out.append("</title>\n<style>\n")
        out.append(PageAssets.pageCSS)
        out.append(css)
        out.append("</style>\n</head>\n<body>\n")
    }

    /// Markup written as given: the caller has escaped any text in it.
    package mutating func append(_ markup: String) { out.append(markup) }

    /// `text` with `&<>"'` as entities, for element content or a quoted attribute.
    mutating func appendEscaped(_ text: [UInt8]) { HTMLText.escape(text, into: &out) }

    /// A `<script>` element the browser does not run, holding `payload` for the page's script
    /// to read by `id`. The payload must not contain `</script`: JSON written with `<`
    /// escaped (`ByteWriter.appendJSONString`, `GoroutineHTML.jsonString`) and base64 cannot.
    mutating func appendData(id: String, type: String, _ payload: [UInt8]) {
        openData(id: id, type: type)
        out.bytes.append(contentsOf: payload)
        out.append("</script>\n")
    }

    /// `appendData` for a payload built as a `String`; its UTF-8 is copied in once.
    mutating func appendData(id: String, type: String, _ payload: String) {
        openData(id: id, type: type)
        out.append(payload)
        out.append("</script>\n")
    }

    private mutating func openData(id: String, type: String) {
        out.append("<script id=\"\(id)\" type=\"\(type)\">")
    }

    /// A `<script>` element running `source`, one of the `PageAssets` scripts.
    package mutating func appendScript(_ source: String) {
        out.append("<script>\n")
        out.append(source)
        out.append("</script>\n")
    }

    /// Closes the body and the document.
    package consuming func finish() -> [UInt8] {
        out.append("</body>\n</html>\n")
        return out.bytes
    }
}
