"""KooDrive handlers (operationIds of openapi/koodrive.yaml, in snake_case)."""

from __future__ import annotations

from typing import Any

from sharemock import runtime
from sharemock.providers.koodrive import rules
from sharemock.providers.koodrive.types import NewShare, Share, ShareChanges

JSON = dict[str, Any]
# Every success carries the envelope after its payload, as the seed's example orders it.
SUCCESS = {"code": 0, "msg": "Success."}
ASCENDING = 1  # sortDirection: 1 ascending, 2 descending


def _share_json(share: Share) -> JSON:
    """The seed example's `shareLink`, in its order, plus `createTime` from its table."""
    return {
        "shareId": share.id,
        "shortUrl": share.short_url,
        "linkUrl": share.short_url,
        "shareTime": share.share_time,
        "expireTime": share.expire_time,
        "scope": share.scope,
        "extractCode": share.extract_code,
        "displayName": share.display_name,
        "status": share.status,
        "comment": share.comment,
        "ownerId": share.owner_id,
        "containerId": share.container_id,
        "viewCnt": share.view_cnt,
        "downloadCnt": share.download_cnt,
        "saveCnt": share.save_cnt,
        "updateTime": share.update_time,
        "createTime": share.create_time,
    }


def create_share(body: JSON, user: str) -> tuple[JSON, int]:
    current = runtime.current()
    request = NewShare(
        file_ids=tuple(body["fileIds"]),
        container_id=body["containerId"],
        scope=int(body["scope"]),
        valid_days=int(body["validDays"]),
        extract_code=body.get("extractCode", ""),
        comment=body.get("comment", ""),
    )
    share = rules.create_share(current.database, user, request, current.now())
    return {"shareLink": _share_json(share), **SUCCESS}, 200


def list_share_by_me(
    user: str,
    page_size: int = 100,
    page_cursor: str = "0",
    sort_type: int = 4,
    sort_direction: int = 2,
    display_name: str | None = None,
    image_process: str | None = None,
) -> tuple[JSON, int]:
    # 4 (share time) is the only order documented; thumbnails are not modelled.
    del sort_type, image_process
    shares, next_cursor = rules.shares_page(
        runtime.current().database,
        user,
        page_size=page_size,
        cursor=page_cursor,
        ascending=sort_direction == ASCENDING,
        name_contains=display_name,
    )
    body: JSON = {"shareLinks": [_share_json(share) for share in shares]}
    if next_cursor is not None:
        body["nextCursor"] = next_cursor
    return {**body, **SUCCESS}, 200


def get_share_by_me_detail(share_id: str, user: str) -> tuple[JSON, int]:
    share = rules.get_share(runtime.current().database, user, share_id)
    return {"shareLink": _share_json(share), **SUCCESS}, 200


def update_share(share_id: str, body: JSON, user: str) -> tuple[JSON, int]:
    current = runtime.current()
    # `expireTime` may come in the body (the seed's example sends one): it is ignored.
    changes = ShareChanges(
        valid_days=int(body["validDays"]),
        extract_code=body.get("extractCode"),
        comment=body.get("comment"),
    )
    share = rules.update_share(current.database, user, share_id, changes, current.now())
    return {"shareLink": _share_json(share), **SUCCESS}, 200


def batch_cancel(body: JSON, user: str) -> tuple[JSON, int]:
    results = rules.cancel_shares(runtime.current().database, user, body["shareIds"])
    sub_responses = [
        {"shareId": share_id, "code": code, "msg": message} for share_id, code, message in results
    ]
    return {"subResponseList": sub_responses, **SUCCESS}, 200
