// Which family's frames a model gets: the one pure entry point `thirdring busylight frames` and the driver share.
import { blink1Plan } from './blink1.js';
import { embravaPlan } from './embrava.js';
import { kuandoPlan } from './kuando.js';
import { luxaforPlan } from './luxafor.js';
import type { BusylightModel } from './models.js';
import { planReports, type LightPlan, type Report } from './plan.js';
import type { BusylightIndication } from './types.js';

export function planFor(model: BusylightModel, indication: BusylightIndication): LightPlan {
  switch (model.family) {
    case 'kuando':
      return kuandoPlan(indication, model.sound);
    case 'luxafor':
      return luxaforPlan(indication);
    case 'embrava':
      return embravaPlan(indication, model.sound);
    case 'blink1':
      return blink1Plan(indication);
  }
}

/** The exact reports the driver writes for an indication on this model, each once, in the order first written. */
export function frames(model: BusylightModel, indication: BusylightIndication): Report[] {
  return planReports(planFor(model, indication));
}
