"""The catalog book 《益阳市电子政务信息资源目录》 (PDF and Excel, internal and public editions; catalog-model §10)."""
