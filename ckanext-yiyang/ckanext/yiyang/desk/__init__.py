"""The to-do desk (我的待办, issue 12.7): what waits for the logged-in user, by role, with
counts and deadlines, each linking to where the work is done; and "submit all" of a unit's
drafts (after an import) with one notice to the reviewers. Registered by the base plugin."""
