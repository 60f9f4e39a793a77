module leakscope.test/diagnose

go 1.19
