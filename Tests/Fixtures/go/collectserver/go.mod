module leakscope.test/collectserver

go 1.19
