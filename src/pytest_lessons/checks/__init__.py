"""The code half of each lesson: one module per lesson, named after its id."""
