"""``python -m extract ...`` is ``zhenggai ...``."""

from extract.cli import entry

if __name__ == "__main__":
    entry()
