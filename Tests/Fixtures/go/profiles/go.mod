module leakscope.test/profiles

go 1.19
