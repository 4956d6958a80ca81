"""The store's change counter: moves when another connection commits, and only then."""

from __future__ import annotations

from yongju.core.store import DB_NAME, Store
from yongju.core.store.changes import ChangeCounter


def test_counter_moves_on_every_commit_and_not_otherwise(store: Store) -> None:
    counter = ChangeCounter(store.folder / DB_NAME)
    try:
        first = counter.value()
        assert counter.value() == first  # reading changes nothing
        store.cases()
        assert counter.value() == first
        store.create_case("Ana Souza", "employment")
        second = counter.value()
        assert second != first
        with Store.open(store.folder) as other:  # another process's connection, as `yongju` has
            other.create_case("Jan Peeters", "employment")
        assert counter.value() != second
    finally:
        counter.close()
    assert counter.value() == -1
