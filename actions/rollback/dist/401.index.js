const p=401,_=[401],u={4401:((c,o,i)=>{i.d(o,{ApiException:()=>n});class n extends Error{constructor(s,r,e,t){super("HTTP-Code: "+s+`
Message: `+r+`
Body: `+JSON.stringify(e)+`
Headers: `+JSON.stringify(t)),this.code=s,this.body=e,this.headers=t}}})};export{p as id,_ as ids,u as modules};
