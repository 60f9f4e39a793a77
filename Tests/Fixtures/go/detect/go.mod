module leakscope.test/detect

go 1.22
