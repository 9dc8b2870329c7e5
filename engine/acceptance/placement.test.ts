import { expect } from "chai";
import { currentTasks, findContainer } from "./docker";
import { engineOf, machineOfNode, MACHINES } from "./engines";
import { acceptance } from "./hooks";
import { allContainers, allServices, machineOfGroup, machineOfService } from "./lookup";

// S5 on two real nodes, with production's labels and constraints: every task of every group runs on
// its machine's node and none on the other; a standalone container exists on its machine's engine
// only (it is no Swarm task: its engine is where the stack's engineHost put it).

describe("placement on the two nodes", function () {
    it("every current task of every service runs on its machine's node", async function () {
        const misplaced: string[] = [];
        let tasks = 0;
        const a = acceptance();
        for (const service of allServices(a)) {
            const machine = machineOfService(a, service.name);
            for (const task of await currentTasks(service.name)) {
                tasks += 1;
                const on = task.NodeID ? await machineOfNode(task.NodeID) : "no node";
                if (on !== machine) {
                    misplaced.push(`${service.name} (${machine}) task ${task.ID.slice(0, 12)} on ${on}`);
                }
            }
        }
        expect(misplaced).to.deep.equal([]);
        expect(tasks, "tasks checked").to.be.greaterThan(MACHINES.length);
    });

    it("every standalone container runs on its machine's engine and on no other", async function () {
        for (const container of allContainers(acceptance())) {
            const machine = machineOfGroup(container.group);
            for (const engine of MACHINES) {
                const found = await findContainer({ engine: engineOf(engine), id: container.name });
                expect(found?.State.Running, `${container.name} on ${engine}'s engine`).to.equal(engine === machine ? true : undefined);
            }
        }
    });
});
