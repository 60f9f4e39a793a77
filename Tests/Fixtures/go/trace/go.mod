module leakscope.test/trace

go 1.19
