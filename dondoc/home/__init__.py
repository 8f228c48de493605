"""The top of the house: the home page of each role and the menu, which show every app, so
this app may import all of them and none imports it."""
