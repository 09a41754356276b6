"""SMS gateway adapters: ``base`` declares the operation, ``registry`` names the implementations,
and each vendor has its own module (``turbosms``, ``generic``, ``console``)."""
