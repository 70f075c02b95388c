"""warta.sites"""
