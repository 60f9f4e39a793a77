module leakscope.test/hostileserver

go 1.19
