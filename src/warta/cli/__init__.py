"""The ``warta`` command line: thin layers over the library."""
