"""``python -m extract ...`` is ``zhenggai ...``."""

from extract.cli import main

if __name__ == "__main__":
    main()
