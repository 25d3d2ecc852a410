"""Durable background jobs: the Job row is the truth, Huey only carries 'run job N'."""
