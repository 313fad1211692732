"""``python -m corridor``: the same as the ``corridor`` command."""

from corridor.cli import main

if __name__ == "__main__":
    main()
