"""ckanext-harvest's actions as this platform runs them."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from ckanext.harvest.model import HarvestJob

from ckanext.yiyang.harvest import jobs


@tk.chained_action
def harvest_send_job_to_gather_queue(
    up_func: Action, context: Context, data_dict: DataDict
) -> Any:
    """Runs the harvest job as a job on CKAN's job worker (not on a gather queue).

    :param id: the id of the harvest job
    :type id: string
    """
    job_id = tk.get_or_bust(data_dict, "id")
    job = tk.get_action("harvest_job_show")(context, {"id": job_id})
    tk.check_access("harvest_send_job_to_gather_queue", context, job)
    source = tk.get_action("harvest_source_show")(context, {"id": job["source_id"]})
    if not source["active"]:
        raise tk.ValidationError({"source": [tk._("The harvest source is not active")]})
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    jobs.enqueue(job_obj.id, tk._("Harvest of {source}").format(source=source["title"]))
    return tk.get_action("harvest_job_show")(context, {"id": job_obj.id})
