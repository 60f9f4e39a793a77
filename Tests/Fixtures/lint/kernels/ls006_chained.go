package main

import "sync"

type cacheShard struct {
	mu    sync.Mutex
	items map[string]int
	queue []string
	limit int
}

type shardedCache struct {
	shards []*cacheShard
	evicts chan string
}

// Silent: set hands the locked shard to place, which unlocks it or hands it on to trim, which
// unlocks it on every path.
func (c *shardedCache) set(i int, key string, value int) bool {
	sh := c.shards[i]
	sh.mu.Lock()
	if _, ok := sh.items[key]; ok {
		sh.items[key] = value
		sh.mu.Unlock()
		return true
	}
	c.place(sh, key, value)
	return false
}

func (c *shardedCache) place(sh *cacheShard, key string, value int) {
	sh.items[key] = value
	if len(sh.queue) >= sh.limit*4 {
		sh.mu.Unlock()
		c.evicts <- key
		return
	}
	sh.queue = append(sh.queue, key)
	c.trim(sh)
}

func (c *shardedCache) trim(sh *cacheShard) {
	if len(sh.queue) <= sh.limit {
		sh.mu.Unlock()
		return
	}
	oldest := sh.queue[0]
	sh.queue = sh.queue[1:]
	delete(sh.items, oldest)
	sh.mu.Unlock()
}

// Leaks: the same chain, but the last helper returns early with the shard still locked.
func (c *shardedCache) setLeaky(i int, key string, value int) bool {
	sh := c.shards[i]
	sh.mu.Lock() // want "LS006"
	if _, ok := sh.items[key]; ok {
		sh.items[key] = value
		sh.mu.Unlock()
		return true
	}
	c.placeLeaky(sh, key, value)
	return false
}

func (c *shardedCache) placeLeaky(sh *cacheShard, key string, value int) {
	sh.items[key] = value
	if len(sh.queue) >= sh.limit*4 {
		sh.mu.Unlock()
		c.evicts <- key
		return
	}
	sh.queue = append(sh.queue, key)
	c.trimLeaky(sh)
}

func (c *shardedCache) trimLeaky(sh *cacheShard) {
	if len(sh.queue) <= sh.limit {
		sh.mu.Unlock()
		return
	}
	oldest := sh.queue[0]
	if oldest == "" {
		return
	}
	sh.queue = sh.queue[1:]
	delete(sh.items, oldest)
	sh.mu.Unlock()
}

// Leaks: the helper takes the next shard hand over hand and hands that one on, so trim unlocks
// the next shard and the first stays locked.
func (c *shardedCache) setAcross(i int, key string, value int) bool {
	sh := c.shards[i]
	sh.mu.Lock() // want "LS006"
	if _, ok := sh.items[key]; ok {
		sh.items[key] = value
		sh.mu.Unlock()
		return true
	}
	c.placeNext(sh, i, key)
	return false
}

func (c *shardedCache) placeNext(sh *cacheShard, i int, key string) {
	if len(sh.queue) >= sh.limit*4 {
		sh.mu.Unlock()
		return
	}
	next := c.shards[(i+1)%len(c.shards)]
	next.mu.Lock()
	sh = next
	sh.queue = append(sh.queue, key)
	c.trim(sh)
}

// Leaks: the middle helper's parameter hides the package's releasing helper, and the policy it is
// given does not unlock.
func (c *shardedCache) setWithPolicy(i int, key string, evict func(*cacheShard)) bool {
	sh := c.shards[i]
	sh.mu.Lock() // want "LS006"
	if _, ok := sh.items[key]; ok {
		sh.mu.Unlock()
		return true
	}
	placeWith(sh, key, evict)
	return false
}

func placeWith(sh *cacheShard, key string, trimShard func(*cacheShard)) {
	if len(sh.queue) >= sh.limit*4 {
		sh.mu.Unlock()
		return
	}
	sh.queue = append(sh.queue, key)
	trimShard(sh)
}

func trimShard(sh *cacheShard) {
	sh.queue = sh.queue[:0]
	sh.mu.Unlock()
}

func (sh *cacheShard) lockShard() { sh.mu.Lock() }

// Leaks: the last helper drops the lock for slow work and takes it back through a method of its
// own, then returns holding it.
func (c *shardedCache) setAndFlush(i int, key string, value int) bool {
	sh := c.shards[i]
	sh.mu.Lock() // want "LS006"
	if _, ok := sh.items[key]; ok {
		sh.mu.Unlock()
		return true
	}
	sh.items[key] = value
	c.flushLater(sh)
	return false
}

func (c *shardedCache) flushLater(sh *cacheShard) {
	if len(sh.queue) == 0 {
		sh.mu.Unlock()
		return
	}
	c.flush(sh)
}

func (c *shardedCache) flush(sh *cacheShard) {
	sh.mu.Unlock()
	c.evicts <- sh.queue[0]
	sh.lockShard()
	sh.queue = sh.queue[1:]
}
