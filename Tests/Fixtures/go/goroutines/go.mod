module leakscope.test/goroutines

go 1.19
