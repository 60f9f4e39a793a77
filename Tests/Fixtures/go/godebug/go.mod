module leakscope.test/godebug

go 1.19
