module leakscope.test/flame

go 1.19
