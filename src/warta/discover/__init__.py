"""warta.discover"""
