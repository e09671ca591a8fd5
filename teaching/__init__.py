"""The teaching layer: the token inspector, the ticket rail and the workshop."""
