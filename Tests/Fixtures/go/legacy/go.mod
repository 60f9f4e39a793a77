module leakscope.test/legacy

go 1.19
