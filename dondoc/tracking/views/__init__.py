"""The tracking pages: thin doors that check access, validate input, call one service or
selector, and render. Every view says who may open it (`@allow`); every task-scoped view
fetches its task with `task_access`, which answers 404 for a task the user may not see and 403
for an action they may not take."""
