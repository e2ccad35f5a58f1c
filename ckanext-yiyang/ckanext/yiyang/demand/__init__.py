"""Demands (资源需求, catalog-model §8): the 数据需求调研表 of a unit, answered by another."""
