"""The progress view (督促检查) of each unit for the office (catalog-model §10)."""
