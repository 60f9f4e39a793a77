import LeakscopeProfile

// Goroutine dump model: see issue "Goroutine dumps".
