from fastapi import FastAPI

app = FastAPI()


@app.post("/echo")
def echo(body: dict[str, str]) -> dict[str, str]:
    # a throwaway app inside the tests: not deployed
    return body
