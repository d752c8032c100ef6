"""The admin's pages: managing the accounts of team mode in the browser."""
