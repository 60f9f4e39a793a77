module leakscope.test/watchfleet

go 1.19
