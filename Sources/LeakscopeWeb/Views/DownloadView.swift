import LeakscopePprof

/// `ui/download`: the profile with the current settings applied, as gzipped profile.proto
/// (`-proto` with the same filters), named `profile.pb.gz` like pprof's download.
enum DownloadView: WebView {
    static let name = "download"
    static let menuTitle: String? = nil

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        let prepared = try context.session.preparedForWeb(.proto, options: context.options)
        do {
            let bytes = try PprofReport.render(prepared, command: .proto, options: context.options)
            return WebReply(contentType: "application/vnd.google.protobuf+gzip", body: bytes,
                            headers: [(.contentDisposition, "attachment;filename=profile.pb.gz")])
        } catch {
            throw WebError(.badRequest, String(describing: error))
        }
    }
}
