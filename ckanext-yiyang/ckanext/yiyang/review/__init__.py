"""Review and publication (资源审核, 资源发布; catalog-model §5): states, transitions with
opinions, history with diffs, working copies of published entries, the review queue."""
