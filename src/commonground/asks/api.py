from ninja import Router

router = Router(tags=["Asks and offers"])
