import HTTPTypes
import LeakscopePprof
import LeakscopePprofDriver

/// A refusal the browser sees as a page: a status and one line saying what was wrong.
struct WebError: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String
    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
    var description: String { message }
}

/// What a view answers: a body and its content type (HTML unless it says otherwise).
struct WebReply: Sendable {
    var status: HTTPResponse.Status = .ok
    var contentType = "text/html; charset=utf-8"
    var body: [UInt8]
    var headers: [(HTTPField.Name, String)] = []
}

/// Everything a view needs for one request: the profiles, the settings from the command line
/// with the URL's laid over them, and how to link to the other views of the same profile.
struct ViewContext: Sendable {
    /// The profiles this URL prefix serves.
    let session: PprofSession
    /// Command-line options with the URL's parameters applied.
    let options: PprofOptions
    /// The request's query, for links that keep every setting.
    let query: WebQuery
    /// Path of the `ui/` folder this view is in (`/ui/` or `/p/3/ui/`), and the view's own name.
    let uiPath: String
    let viewName: String
    /// Links shown above the menus: back to the index when served by `serve`.
    let breadcrumbs: [(title: String, href: String)]

    /// The link to view `name` with this request's settings, changed by `changes`.
    func link(_ name: String, _ changes: [String: String?] = [:]) -> String {
        var q = query.keeping(URLSettings.names)
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) { q = q.setting(key, value) }
        return uiPath + name + q.string
    }
}

/// One page of the web UI under `ui/`. Add a view by writing one file in `Views/` and one line
/// in `WebViews.all`; the menus list it and the server routes `ui/<name>` to it.
protocol WebView: Sendable {
    /// The path segment under `ui/` (pprof's name, e.g. `flamegraph`).
    static var name: String { get }
    /// Its entry in the VIEW menu; nil keeps it out of the menu (downloads).
    static var menuTitle: String? { get }
    /// Answers one request; a refusal is a `WebError`.
    static func render(_ context: ViewContext) throws(WebError) -> WebReply
}

/// A view as a value: what the menus and the router use. (Views are listed through this rather
/// than as `any WebView.Type`: Swift 6.3's SILGen crashes on existential metatypes in a
/// typed-throws function.)
struct RegisteredView: Sendable {
    let name: String
    let menuTitle: String?
    let render: @Sendable (ViewContext) throws(WebError) -> WebReply

    init<View: WebView>(_ view: View.Type) {
        name = View.name
        menuTitle = View.menuTitle
        render = { context throws(WebError) in try View.render(context) }
    }
}

/// The views, in menu order.
enum WebViews {
    static let all: [RegisteredView] = [
        RegisteredView(FlameGraphView.self),
        RegisteredView(TopView.self),
        RegisteredView(PeekView.self),
        RegisteredView(SourceView.self),
        RegisteredView(DownloadView.self),
    ]

    static func named(_ name: String) -> RegisteredView? {
        all.first { $0.name == name }
    }
}

extension PprofSession {
    /// `prepare` with a failure turned into a 400 naming the cause: every failure here comes
    /// from the request's settings (a bad filter, an unknown sample type).
    func preparedForWeb(_ command: PprofCommand, options: PprofOptions) throws(WebError) -> PreparedProfile {
        do {
            return try prepare(command, options: options)
        } catch {
            throw WebError(.badRequest, error.message)
        }
    }
}
