package main

// The only caller of fetchOnWindows (ls004_unreferenced.go), built on Windows alone.
var windowsStatus = fetchOnWindows("http://127.0.0.1:1/")
