package detect

// lru is a map bounded by count that forgets the least recently used entry
// when full. Every table the detector keeps is one of these, so memory is
// bounded by configuration, never by the size of the capture.
type lru[K comparable, V any] struct {
	m          map[K]*lruEntry[K, V]
	head, tail *lruEntry[K, V] // head is the most recently used
	max        int
	evicted    int64
	// onEvict, when set, sees each entry forgotten to make room.
	onEvict func(k K, v *V)
}

type lruEntry[K comparable, V any] struct {
	key        K
	val        V
	prev, next *lruEntry[K, V]
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	if max < 1 {
		max = 1
	}
	return &lru[K, V]{m: make(map[K]*lruEntry[K, V]), max: max}
}

func (l *lru[K, V]) Len() int { return len(l.m) }

// Get returns the entry for k and marks it used.
func (l *lru[K, V]) Get(k K) (*V, bool) {
	e, ok := l.m[k]
	if !ok {
		return nil, false
	}
	l.touch(e)
	return &e.val, true
}

// Peek returns the entry for k without marking it used.
func (l *lru[K, V]) Peek(k K) (*V, bool) {
	e, ok := l.m[k]
	if !ok {
		return nil, false
	}
	return &e.val, true
}

// Put adds a zero entry for k (which must be absent), evicting the least
// recently used entry when the table is full, and returns it.
func (l *lru[K, V]) Put(k K) *V {
	if len(l.m) >= l.max && l.tail != nil {
		old := l.tail
		l.unlink(old)
		delete(l.m, old.key)
		l.evicted++
		if l.onEvict != nil {
			l.onEvict(old.key, &old.val)
		}
	}
	e := &lruEntry[K, V]{key: k}
	l.m[k] = e
	l.pushFront(e)
	return &e.val
}

// Delete forgets k.
func (l *lru[K, V]) Delete(k K) {
	if e, ok := l.m[k]; ok {
		l.unlink(e)
		delete(l.m, k)
	}
}

// Each visits entries from least to most recently used. fn must not
// change the table.
func (l *lru[K, V]) Each(fn func(k K, v *V)) {
	for e := l.tail; e != nil; e = e.prev {
		fn(e.key, &e.val)
	}
}

func (l *lru[K, V]) touch(e *lruEntry[K, V]) {
	if l.head == e {
		return
	}
	l.unlink(e)
	l.pushFront(e)
}

func (l *lru[K, V]) pushFront(e *lruEntry[K, V]) {
	e.prev, e.next = nil, l.head
	if l.head != nil {
		l.head.prev = e
	}
	l.head = e
	if l.tail == nil {
		l.tail = e
	}
}

func (l *lru[K, V]) unlink(e *lruEntry[K, V]) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = nil, nil
}
