"""warta.fetch"""
